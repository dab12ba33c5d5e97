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

# ---------------------------------------------------------------- group chat (群消息)
# Ordinary messages in the member groups: short, about tea, as people really write.
GROUP_CHAT = [
    # 泡法 brewing
    "这款白茶用多少度的水泡？", "盖碗泡还是玻璃杯泡好", "冷泡要放冰箱几个小时", "岩茶要不要洗茶",
    "我一般泡三十秒就出汤", "投茶量大概多少克", "紫砂壶适合泡什么茶", "第一泡要倒掉吗",
    "焖泡会不会苦", "煮白茶真的好喝", "水温太高会烫熟茶叶吗", "公道杯有必要买吗",
    # 口感 taste
    "今天这泡回甘很明显", "这个红茶有蜜香", "有点涩，是不是泡久了", "花香好浓",
    "比上次买的好喝", "喝完嘴里甜甜的", "这款普洱越喝越顺", "茉莉花茶太香了",
    "新茶鲜爽，喜欢", "口感偏淡，下次多放点", "桂花乌龙绝了", "老白茶有枣香",
    # 打卡 check-ins
    "打卡第5天", "今日打卡✅", "打卡，今天喝的是正山小种", "坚持打卡中", "今天也来打卡啦",
    "打卡+1", "第十天，打卡", "早安打卡", "下午茶打卡",
    # 问发货 shipping questions
    "我的订单发货了吗", "昨天下的单什么时候发", "快递到哪了", "物流好久没更新",
    "能发顺丰吗", "几天能到上海", "下单后多久发货", "偏远地区包邮吗",
    # 晒单 showing what came
    "刚收到，包装好精致", "晒一下我的茶席", "到货啦，开箱", "618囤的茶到了",
    "收到了，还送了小样", "买给爸妈的礼盒到了", "第二次回购了", "茶具到了，好看",
    # 活动 questions about offers
    "这周有什么活动", "会员日是哪天", "优惠券怎么领", "积分能换什么", "新品什么时候上",
    "满减还有吗", "群里有专属券吗", "秒杀几点开始",
    # 知识 tea questions
    "白茶放久了是不是更好", "绿茶要放冰箱吗", "晚上喝茶会失眠吗", "胃不好能喝红茶吗",
    "普洱生茶和熟茶区别大吗", "乌龙茶算绿茶还是红茶", "茶叶开封后怎么存", "一天喝几杯合适",
    # 闲聊 chat and reactions
    "早上好", "大家晚上好", "哈哈哈", "同问", "谢谢群主", "收到", "👍", "好的好的",
    "学到了", "+1", "真不错", "羡慕", "周末愉快", "好看", "有道理", "我也想要",
]
GROUP_CHAT_ENDINGS = ["", "", "", "", "～", "😄", "[呲牙]", "！", "哈哈", "[玫瑰]"]
# Innocent messages holding a word a keyword rule flags (批发价, 加微信, 微信号, 清仓 …)
GROUP_CHAT_TRAPS = [
    "客服让我加微信发照片，已经退款了", "客服微信号是多少？想问售后", "公司团购能按批发价吗",
    "618清仓价还有吗", "怎么加VIP会员群", "官网 chayu.com 上也能买吗", "我同事在做代购，也说你家好喝",
    "大学时兼职做过茶艺师", "会员日有低价秒杀吗", "上次清仓买的白茶很好喝",
]
# … and ones only a naive rule flags (微信, 链接, 加群 on their own)
GROUP_CHAT_NAIVE_TRAPS = [
    "可以用微信支付吗", "微信支付有立减吗", "公众号链接在菜单里", "下单链接在小程序首页",
    "群主能发下活动链接吗", "求链接", "怎么拉朋友加群", "我朋友也想进群",
    "小程序和微信里买价格一样吗", "微信运动一万步，喝杯茶犒劳一下",
]
# Violations (违规) by spam accounts. {id} is a made-up WeChat id, {code} a short-link
# code, {site} a domain name. "plain" posts hold the words a keyword rule looks for;
# "disguised" ones dodge them (谐音, spaces between characters, emoji, full-width).
SPAM = {
    "ad": {
        "plain": ["低价批发正山小种，量大从优", "日本代购抹茶粉，正品保真", "招代理，一件代发，在家就能做",
                  "厂家直销茶叶，比市场价低一半", "兼职刷单，日结两百", "一手货源，私聊下单",
                  "茶叶清仓，低价出"],
        "disguised": ["自家茶山直供，比店里便宜一半，私我", "dai购日本抹茶，保真", "招 代 理，宝妈也能做",
                      "p发价出明前龙井", "🉐价茶叶，亏本甩卖，要的私", "一 手 货 源，价格美丽",
                      "在家动动手机，月入过万，了解一下"],
    },
    "wechat": {
        "plain": ["加V：{id} 领免费试喝装", "vx {id}，拉你进内部福利群", "想要的加我微信 {id}",
                  "wx：{id} 每天分享好茶", "薇信{id}，好茶便宜出", "微信号 {id}，备注茶"],
        "disguised": ["加 V：{id} 领茶样", "💚信：{id}", "V❤：{id} 免费领", "卫星号 {id}，备注喝茶",
                      "嘉薇 {id} 拉你进福利群", "wei xin：{id}"],
    },
    "link": {
        "plain": ["http://t.cn/{code} 点开领券", "戳这里 https://{site}.com/{code} 抢购",
                  "t.cn/{code} 免费试喝，先到先得", "www.{site}.cn 官方特价", "{site}.top/{code} 新人领99元券"],
        "disguised": ["t点cn/{code} 领福利", "ｔ．ｃｎ／{code} 免费领茶", "复制￥{code}￥打开某宝领券",
                      "{site} 点 com 搜一下就有", "浏览器打开 {site} 点 top，新人有券"],
    },
}
SPAM_FLOODS = ["好消息好消息", "🔥🔥限时福利🔥🔥", "在吗在吗", "大家看我朋友圈", "扣1领取新人福利",
               "[红包][红包][红包]", "有需要的私聊我", "进来看看，好茶不贵"]
SPAM_FLOOD_ENDINGS = ["", "！", "！！", "~", "🔥", "。", "…", "👍"]
SPAM_ID_PREFIXES = ["cha", "tea", "mingqian", "ls", "yc", "hb", "kk", "lan", "lucha", "pu"]
SPAM_SITES = ["cyhui", "teamall", "hcha", "ylq", "chaoshi", "tuan8"]
