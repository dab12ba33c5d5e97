"""Questions of 07_capstone_weekly_review."""
