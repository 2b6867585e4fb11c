app_name = "consultations"
urlpatterns = []
