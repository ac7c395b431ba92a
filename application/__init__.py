"""Use cases and the ports they need; no web, queue, LLM or rendering library here."""
