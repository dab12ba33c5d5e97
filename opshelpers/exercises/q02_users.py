"""Questions of 02_users."""
