"""Questions of 06_data."""
