"""What an operator watches the backend by: the request id, `/healthz` and `/readyz`, and Prometheus `/metrics`."""
