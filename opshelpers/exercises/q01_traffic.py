"""Questions of 01_traffic."""
