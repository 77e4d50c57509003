import json

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from accounts.leaving import account_erase, log_name
from accounts.models import User


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "time_zone", "practice")

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts and clinicians; diary contents are deliberately not in the admin."""

    add_form = UserCreationAdminForm
    ordering = ("email",)
    list_display = ("email", "full_name", "role", "is_active", "is_staff", "date_joined")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("email", "full_name")
    readonly_fields = ("role", "date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "role", "time_zone", "practice")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "time_zone",
                    "practice",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_deleted_objects(self, objs, request):
        """The delete confirmation names the accounts only: listing what cascades with them
        would show diary contents ("Calf (left), 9/10") in the admin."""
        deletable, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        accounts = [str(obj) for obj in objs]
        model_count = {self.model._meta.verbose_name_plural: len(accounts)}
        return accounts, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        # With what names the account elsewhere (sign-in records, cache, admin log), as on
        # /accounts/delete/.
        account_erase(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)

    # The admin log is kept for ever: it names an account by its number, never by the name or
    # e-mail of a person who may since have deleted it (accounts.leaving).

    def log_addition(self, request, obj, message):
        return self._log(request, [obj], ADDITION, message)[0]

    def log_change(self, request, obj, message):
        return self._log(request, [obj], CHANGE, message)[0]

    def log_deletions(self, request, queryset):
        return self._log(request, queryset, DELETION)

    def _log(self, request, users, action_flag, message=""):
        content_type = ContentType.objects.get_for_model(self.model, for_concrete_model=False)
        entries = [
            LogEntry(
                user_id=request.user.pk,
                content_type=content_type,
                object_id=str(user.pk),
                object_repr=log_name(user.pk),
                action_flag=action_flag,
                change_message=json.dumps(message) if isinstance(message, list) else message,
            )
            for user in users
        ]
        for entry in entries:  # one by one: each gets its id on every database
            entry.save()
        return entries

    def get_readonly_fields(self, request, obj=None):
        # The role is chosen once, when the account is made.
        return self.readonly_fields if obj else ()
