"""Chinese text building blocks for the sample company's feedback, posts and groups.

Feedback comments are assembled from an opening, a theme phrase (praise or complaint)
and an optional closing, the way real app reviews and service chats read.
"""

FEEDBACK_PHRASES = {
    "price": {
        "praise": ["活动价很划算", "这个价格买到这个品质值了", "会员价比外面便宜不少",
                   "618囤货价格很香", "性价比挺高的"],
        "complaint": ["价格有点贵", "比别家贵了二十多块", "刚买完就降价了，心塞",
                      "优惠券门槛太高", "小罐装太不划算了"],
    },
    "taste": {
        "praise": ["口感很醇厚", "回甘明显，很喜欢", "香气足，泡了五六泡还有味",
                   "新茶很鲜爽", "茶汤清亮，味道正"],
        "complaint": ["味道偏苦涩", "和上次买的口感不一样", "香味太淡了",
                      "有股陈味", "泡两泡就没味了"],
    },
    "packaging": {
        "praise": ["包装很精致，送人有面子", "礼盒设计好看", "小袋独立包装很方便",
                   "罐子质感不错"],
        "complaint": ["包装压坏了", "外盒有破损", "密封条没封好", "包装太简陋了"],
    },
    "shipping": {
        "praise": ["发货很快", "第二天就到了", "物流挺快的"],
        "complaint": ["物流太慢了", "下单一周还没发货", "快递一直不更新",
                      "物流慢，等了好多天", "发货慢，催了也没用"],
    },
    "service": {
        "praise": ["客服很耐心", "售后处理很及时", "客服推荐的茶很合口味"],
        "complaint": ["客服回复太慢", "退款处理好久", "客服态度一般",
                      "问了三次都没人回"],
    },
}
FEEDBACK_OPENINGS = ["", "", "第一次买，", "回购了，", "朋友推荐的，", "老顾客了，", "说实话，"]
FEEDBACK_CLOSINGS = ["", "", "。", "！", "，还会再来。", "，希望改进。", "～"]

GROUPS = [
    # (group_id, group_name, group_type)
    ("g01", "茶语福利1群", "deals"), ("g02", "茶语福利2群", "deals"),
    ("g03", "茶语福利3群", "deals"), ("g04", "茶语福利4群", "deals"),
    ("g05", "岩茶爱好者", "interest"), ("g06", "普洱收藏交流", "interest"),
    ("g07", "每日一杯茶打卡", "interest"), ("g08", "茶艺入门学习群", "interest"),
    ("g09", "白茶品鉴会", "interest"), ("g10", "茶饮创业交流", "industry"),
    ("g11", "茶叶渠道合作", "industry"), ("g12", "茶语福利5群", "deals"),
]
CHALLENGE_GROUPS = ("g05", "g07", "g08", "g02")

TOPICS = ("tea_health", "brewing_tips", "new_product", "tea_culture", "promotion", "lifestyle")
TITLE_SUBJECTS = {
    "tea_health": ["喝茶养胃", "秋冬喝什么茶", "熬夜后喝杯茶", "绿茶和白茶哪个更温和",
                   "办公室喝茶", "晚上喝茶会失眠吗"],
    "brewing_tips": ["冷泡茶", "盖碗泡茶", "岩茶洗茶", "泡茶水温", "茶具清洁", "一人食泡茶"],
    "new_product": ["春茶上新", "明前龙井", "新品茉莉银针", "桂花乌龙", "小罐白茶"],
    "tea_culture": ["宋代点茶", "茶马古道", "功夫茶的讲究", "六大茶类", "老茶客的习惯"],
    "promotion": ["618囤茶清单", "会员日福利", "新人专享", "满减攻略", "限时买一送一"],
    "lifestyle": ["周末茶席", "书房一角", "露营煮茶", "下午茶搭配", "茶香治愈时刻"],
}
TITLE_NUMBER_PATTERNS = ["{n}个{s}小技巧", "{s}的{n}个误区", "{n}分钟学会{s}", "关于{s}的{n}件事"]
TITLE_PLAIN_PATTERNS = ["{s}，原来这么简单", "聊聊{s}", "{s}，你做对了吗？", "我的{s}日常",
                        "{s}指南", "{s}｜值得收藏"]
BANNED_TITLE_PATTERNS = ["全网最好喝的{s}", "第一名的{s}", "国家级{s}工艺", "{s}，治疗失眠",
                         "史上最低价：{s}", "{s}，降血压神器"]
