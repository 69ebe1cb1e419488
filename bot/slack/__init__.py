"""The Slack adapter: bolt app, listeners and server. The core never imports this."""
