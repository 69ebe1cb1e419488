"""The knowledge base: loading, validation and live reloading."""
