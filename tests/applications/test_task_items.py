"""The task list's items written in Python (applications/task_items.py, issue 22): the same bytes
as the template's loop they replace, for every status, in Chinese and English, and each
application's own links although the links' halves are kept per process."""

from __future__ import annotations

from django.template import engines
from django.urls import reverse
from django.utils import translation

from duixian.applications.selectors import task_list
from duixian.applications.services import application_create, application_save_answers
from duixian.applications.task_items import task_items
from duixian.core import memos
from tests.applications.conftest import signin

# applications/tasks.html's loop before it was written in Python
LOOP = """{% for task in tasks %}
  <li><a href="{% if task.url_name == 'section' %}{% url 'applications:section' app.pk task.key %}{% else %}{% url 'applications:materials' app.pk %}{% endif %}">{{ task.title }}</a>
      <span class="tag {% if task.status == 'completed' %}ok{% elif task.status == 'in_progress' %}warn{% endif %}">{{ task.status_label }}</span></li>
  {% endfor %}"""


def test_the_items_are_the_loops_bytes(users, client, complete_draft):
    user = users["hefei_applicant"]
    empty = application_create(user=user, clause="2", project_name="空白<script>草稿")
    partial = application_save_answers(application_create(user=user, clause="2", project_name="半<b>成"),
                                       {"contact_name": "张晓明"}, user=user)
    signin(client, user)
    statuses = set()
    for language, app in [(language, app) for language in ("zh-hans", "en", "zh-hans")
                          for app in (complete_draft, empty, partial)]:
        client.cookies["django_language"] = language
        with translation.override(language):
            tasks = task_list(app)
            kept = task_items(app, tasks)
            expected = engines["django"].from_string(LOOP).render({"app": app, "tasks": tasks})
            memos.forget_all()  # (a page in the other language comes next, with the links kept)
            assert kept == expected == task_items(app, tasks)
        statuses.update(task.status for task in tasks)
        page = client.get(reverse("applications:tasks", kwargs={"pk": app.pk})).content.decode()
        assert f'<ol class="task-list">\n  {expected}\n  <li>' in page
    assert statuses == {"completed", "in_progress", "not_started"}
