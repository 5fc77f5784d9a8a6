from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "yijianshi.reviews"
    label = "reviews"
    verbose_name = "好差评"
