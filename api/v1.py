from ninja import NinjaAPI

api = NinjaAPI(title="Cyan API", version="1")
