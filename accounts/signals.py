"""What accounts tells the apps built on it, so that accounts imports none of them.

The diary connects to these in its AppConfig.ready (diary/apps.py).
"""

from django.dispatch import Signal

# A patient's account was made (UserManager.create_user), inside its transaction: keyword
# argument `patient`.
patient_created = Signal()

# An account is being deleted (accounts.leaving.account_erase), inside its transaction, before
# the rows go: keyword argument `user`. A receiver deletes what names the account outside the
# database cascades; work that must wait for the commit goes in transaction.on_commit.
account_leaving = Signal()
