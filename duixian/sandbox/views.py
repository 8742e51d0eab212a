from django.http import Http404


def home(request):
    raise Http404


def export_xlsx(request):
    raise Http404
