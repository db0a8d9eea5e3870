app_name = "enterprise"
urlpatterns: list[object] = []
