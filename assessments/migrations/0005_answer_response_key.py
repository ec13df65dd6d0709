"""The chosen option of single-choice and true/false answers as a column, filled for the answers there are
(the rule of ``services.response_key``), so the item analysis need not decode every response."""

from django.db import migrations, models

CHOICE_KINDS = ("single", "truefalse")
BATCH = 2000


def fill(apps, schema_editor):
    Answer = apps.get_model("assessments", "Answer")
    answers = (
        Answer.objects.filter(question__kind__in=CHOICE_KINDS, response__isnull=False)
        .only("pk", "response")
        .order_by("pk")
    )
    batch = []
    for answer in answers.iterator(chunk_size=BATCH):
        if answer.response is None:  # a JSON null
            continue
        answer.response_key = str(answer.response).lower()
        batch.append(answer)
        if len(batch) >= BATCH:
            Answer.objects.bulk_update(batch, ["response_key"])
            batch = []
    if batch:
        Answer.objects.bulk_update(batch, ["response_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0004_knowledgecheckresult"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="response_key",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
