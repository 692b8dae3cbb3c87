"""The staff web console: server-rendered pages under /console (Jinja2, htmx), signed in with password and TOTP."""
