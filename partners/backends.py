"""Logging in with a username and password, as Django's ModelBackend does; every request then
reads the user with their profile and its territory in one query, since every page asks
`partners.roles` who the user is."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ProfileModelBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("profile__territory")
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
