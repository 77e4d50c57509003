from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.leaving import account_erase
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
        if obj.is_patient:  # with what names them only by e-mail, as on /accounts/delete/
            account_erase(patient=obj)
        else:
            obj.delete()

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)

    def get_readonly_fields(self, request, obj=None):
        # The role is chosen once, when the account is made.
        return self.readonly_fields if obj else ()
