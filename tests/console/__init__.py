"""The staff web console: sign-in and its security through HTTP, the pages in real headless Chromium."""
