from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.LoginCodeView.as_view(), name="login_code"),
    path("two-step/", views.SecondFactorView.as_view(), name="two_step"),
    path("two-step/enable/", views.SecondFactorEnableView.as_view(), name="two_step_enable"),
    path("two-step/backup-codes/", views.BackupCodesRenewView.as_view(), name="two_step_backup_codes"),
    path("two-step/disable/", views.SecondFactorDisableView.as_view(), name="two_step_disable"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
