"""``TrainingPlan`` and ``OJTRecord`` move to the ``lms.ojt`` app: only Django's model state changes here.

Their tables (``cascade_trainingplan``, ``cascade_ojtrecord``) stay as they are with every row; ``ojt.0001``
takes them over through ``db_table``. Reversible: going back gives the state to ``cascade`` again.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cascade', '0002_plans_ojt_completion'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name='trainingplan', name='agency'),
                migrations.RemoveField(model_name='trainingplan', name='created_by'),
                migrations.RemoveField(model_name='trainingplan', name='unit'),
                migrations.DeleteModel(name='OJTRecord'),
                migrations.DeleteModel(name='TrainingPlan'),
            ],
            database_operations=[],
        ),
    ]
