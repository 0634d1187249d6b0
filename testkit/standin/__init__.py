"""The real Pic-Time stand-in (sandbox/pictime) for tests: `server` starts it, `user` plays
the photographer at it, `oauth` links a studio through it, `orders` places orders at it and
`fixtures` (a pytest plugin) shares one per session."""
