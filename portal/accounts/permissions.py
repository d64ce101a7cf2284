"""Wagtail permission policies for the Atlas snippets, driven by the organisation scope."""

from wagtail.permission_policies.base import BasePermissionPolicy

from .scope import scope_for

# Any other action, publishing a Bourse project included, is the Délégation's (through its workflow).
EDIT_ACTIONS = {"change", "delete", "lock", "unlock"}
# Deleting also needs the right to create such a record: an agent edits its Authority but does not remove
# it from the Atlas, nor an authority's development-aid declaration.
CREATE_TO_DELETE = {"delete"}


class ScopedPermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        scope = scope_for(user)
        if action == "view":
            return scope.is_delegation or scope.visible(self.model).exists()
        if action == "add":
            return scope.may_add(self.model)
        if action in CREATE_TO_DELETE and not scope.may_add(self.model):
            return False
        if action in EDIT_ACTIONS:
            return scope.is_delegation or scope.editable(self.model).exists()
        return scope.is_delegation

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return scope_for(user).may_view(instance)
        if action == "add":
            return scope_for(user).may_add(self.model)
        if action in CREATE_TO_DELETE and not scope_for(user).may_add(self.model):
            return False
        if action in EDIT_ACTIONS:
            return scope_for(user).may_change(instance)
        return scope_for(user).is_delegation

    def instances_user_has_permission_for(self, user, action):
        if action in CREATE_TO_DELETE and not scope_for(user).may_add(self.model):
            return self.model._default_manager.none()
        if action == "view":
            return scope_for(user).visible(self.model)
        if action in EDIT_ACTIONS:
            return scope_for(user).editable(self.model)
        return (
            self.model._default_manager.all()
            if scope_for(user).is_delegation
            else self.model._default_manager.none()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        querysets = [self.instances_user_has_permission_for(user, action) for action in actions]
        result = querysets[0]
        for queryset in querysets[1:]:
            result = result | queryset
        return result.distinct()

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(is_active=True, is_superuser=True)
