"""The on-the-job training models, taken over from ``lms.cascade`` (``cascade.0003``) with their tables.

State only: ``db_table`` keeps ``cascade_trainingplan`` and ``cascade_ojtrecord`` (and their constraint and
index names), so no table is created, copied or dropped and every row stays. The content types move from
``cascade`` to ``ojt`` so that permissions and admin log entries keep pointing at the models.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ('trainingplan', 'ojtrecord')


def _move_content_types(apps, schema_editor, *, source, target):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    for model in MODELS:
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def content_types_forward(apps, schema_editor):
    _move_content_types(apps, schema_editor, source='cascade', target='ojt')


def content_types_backward(apps, schema_editor):
    _move_content_types(apps, schema_editor, source='ojt', target='cascade')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cascade', '0003_ojt_moves_to_lms_ojt'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('people', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OJTRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('topic', models.CharField(max_length=200, verbose_name='topic')),
                        ('module', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='module')),
                        ('date', models.DateField(verbose_name='date')),
                        ('hours', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='hours')),
                        ('instructor', models.CharField(max_length=200, verbose_name='instructor or mentor')),
                        ('evidence', models.TextField(blank=True, verbose_name='evidence')),
                        ('source', models.CharField(choices=[('entered', 'Entered'), ('imported', 'Imported')], default='entered', max_length=10)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ojt_records', to='people.agency', verbose_name='agency')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('staff', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ojt_records', to=settings.AUTH_USER_MODEL, verbose_name='staff member')),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ojt_records', to='people.trainingunit', verbose_name='training unit')),
                    ],
                    options={
                        'verbose_name': 'on-the-job training record',
                        'verbose_name_plural': 'on-the-job training records',
                        'db_table': 'cascade_ojtrecord',
                        'ordering': ['-date', 'pk'],
                        'indexes': [models.Index(fields=['agency', 'date'], name='cascade_ojt_agency__ec64e7_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('hours__gt', 0), ('hours__lte', 24)), name='cascade_ojt_hours')],
                    },
                ),
                migrations.CreateModel(
                    name='TrainingPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('target_sessions', models.PositiveIntegerField(default=0, verbose_name='sessions')),
                        ('target_staff', models.PositiveIntegerField(default=0, verbose_name='staff trained')),
                        ('target_hours', models.PositiveIntegerField(default=0, verbose_name='training hours')),
                        ('modules', models.JSONField(blank=True, default=list, verbose_name='topics (modules)')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='training_plans', to='people.agency', verbose_name='agency')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='training_plans', to='people.trainingunit', verbose_name='training unit')),
                    ],
                    options={
                        'verbose_name': 'training plan',
                        'verbose_name_plural': 'training plans',
                        'db_table': 'cascade_trainingplan',
                        'ordering': ['-year', 'agency', 'unit'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('unit__isnull', True)), fields=('agency', 'year'), name='cascade_plan_once_per_agency'), models.UniqueConstraint(condition=models.Q(('unit__isnull', False)), fields=('agency', 'year', 'unit'), name='cascade_plan_once_per_unit'), models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 2100)), name='cascade_plan_year')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_forward, content_types_backward),
    ]
