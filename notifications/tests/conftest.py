from testkit.smtp import smtp_server  # noqa: F401 (a fixture)
