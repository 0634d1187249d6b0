"""Pic-Time: its OAuth + REST client (client.py), the order mapper (orders.py), webhook
verification (webhooks.py) and its polling strategy (provider.py)."""

from galleries.providers.pictime.provider import PicTimeProvider

PROVIDER = PicTimeProvider()

__all__ = ["PROVIDER", "PicTimeProvider"]
