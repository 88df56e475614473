"""The workspace's routes, one module per part of the agent's day."""
