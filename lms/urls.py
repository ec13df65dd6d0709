from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms import views
from lms.api import token_views as api_token_views
from lms.cascade.views import calendar as cascade_calendar
from lms.people import urls as people_urls
from lms.people.views import accounts as account_views
from lms.trainers.views import certificates as certificate_views

urlpatterns = [
    path("", views.root_redirect, name="root"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("healthz/", views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # H5P players and package files, authorised by signed tokens (see content.h5p.tokens)
    path("h5p/", include("content.h5p.urls")),
    # SCORM packages' files, served to their sandboxed SCOs against signed tokens (content.scorm.tokens)
    path("scorm/", include("content.scorm.urls")),
    # private iCalendar feeds of cascade sessions (the token is the key; calendar programs cannot log in)
    path("calendar/<str:token>.ics", cascade_calendar.calendar_feed, name="calendar_feed"),
    # the REST API and its OpenAPI schema (lms.api): no language prefix, Accept-Language picks the language
    path("api/v1/", include("lms.api.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("accounts/", include((account_views.urlpatterns, "accounts"))),
    path("accounts/api-token/", api_token_views.api_token, name="api_token"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("people/", include((people_urls.urlpatterns, "people"))),
    path("learn/", include("courses.urls")),
    path("tests/", include("assessments.urls")),
    path("reports/", include("lms.reports.urls")),
    path("training/", include("lms.cascade.urls")),
    path("training/", include("lms.grading.urls")),
    path("training/", include("lms.ojt.urls")),
    path("trainers/", include("lms.trainers.urls")),
    path("verify/<str:code>/", certificate_views.verify, name="verify"),
    # Wagtail serves every other path: keep it last.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
