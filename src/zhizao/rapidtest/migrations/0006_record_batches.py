"""Batches (samples) of rapid tests: every stored test becomes a batch of its own (its sample code
is its record id), so the rollups' batch counts start equal to their test counts
(docs/decisions/0006-rapidtest-batches.md)."""

from django.conf import settings
from django.db import migrations, models

import zhizao.rapidtest.models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_delete_empty_user_history'),
        ('rapidtest', '0005_case_confirmation_outcome'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='marketmonthrollup',
            name='batches',
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='marketmonthrollup',
            name='batches_failed',
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='monthlyrollup',
            name='batches',
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='monthlyrollup',
            name='batches_failed',
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='testrecord',
            name='sample_code',
            preserve_default=False,
            field=models.CharField(default='', help_text='The batch (批次) this test was made on: the tests of one sample share its code. Without one, the test is a batch of its own.', max_length=64, verbose_name='sample code'),
        ),
        migrations.RunSQL(
            [
                "UPDATE rapidtest_testrecord SET sample_code = client_record_id "
                "WHERE sample_code = ''",
                "UPDATE rapidtest_monthlyrollup SET batches = total, batches_failed = failed",
                "UPDATE rapidtest_marketmonthrollup SET batches = total, batches_failed = failed",
            ],
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='testrecord',
            name='sample_code',
            field=models.CharField(default=zhizao.rapidtest.models.own_sample_code, help_text='The batch (批次) this test was made on: the tests of one sample share its code. Without one, the test is a batch of its own.', max_length=64, verbose_name='sample code'),
        ),
        migrations.AddIndex(
            model_name='testrecord',
            index=models.Index(fields=['market', 'sample_code'], name='rapidtest_rec_sample'),
        ),
    ]
