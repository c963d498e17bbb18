"""Background tasks (django-tasks): work done outside the request.

In development and production the database backend queues them
(``django_tasks_db``) and ``manage.py db_worker`` runs them (``make run``
starts one beside the web server); tests run them at once (the immediate
backend). Arguments are ids, never objects: a task may run in another process.
"""

from django_tasks import task

from assessments import notifications


@task()
def send_notification(notification_id: int) -> int:
    """Send the emails of one notification; returns how many were sent."""
    return notifications.deliver(notification_id=notification_id)
