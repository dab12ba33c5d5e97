"""Questions of 05_activity."""
