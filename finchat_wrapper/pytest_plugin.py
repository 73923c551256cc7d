"""pytest fixtures for bots tested against the FinChat sandbox (filled in by the sandbox work)."""
