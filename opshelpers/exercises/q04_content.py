"""Questions of 04_content."""
