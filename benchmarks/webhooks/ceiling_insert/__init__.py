"""The second ceiling: a bare Django view that stores the body with one durable INSERT."""
