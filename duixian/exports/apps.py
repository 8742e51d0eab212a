from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "duixian.exports"
    label = "exports"
    verbose_name = "导出（汇总表、推荐函、材料包）"

    def ready(self):
        from duixian.exports.views import worklist_context
        from duixian.review import worklist_extras

        worklist_extras.register(worklist_context)
