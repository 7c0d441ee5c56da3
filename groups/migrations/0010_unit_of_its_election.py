from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0010_state_languages"),
        ("groups", "0009_state_languages"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="territorialunit",
            constraint=models.UniqueConstraint(
                fields=("id", "election"), name="territorial_unit_of_its_election"
            ),
        ),
    ]
