"""Questions of 03_community."""
