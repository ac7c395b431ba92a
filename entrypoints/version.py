"""The version reported by /api/health and the webhook User-Agent."""

VERSION = "0.1.2"
