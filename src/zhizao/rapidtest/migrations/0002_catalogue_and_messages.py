"""Data: the test catalogue (products, test items with their methods and decision rules) and the
message templates of follow-up cases. Method codes: GB/T 5009.199-2003 is verified; the exact KJ
numbers of the colloidal-gold methods are not (docs/rapidtest.md), so those rows name the method
class."""

from django.db import migrations

PRODUCTS = (
    ("青菜", "Bok choy", "vegetables"),
    ("白菜", "Chinese cabbage", "vegetables"),
    ("菠菜", "Spinach", "vegetables"),
    ("芹菜", "Celery", "vegetables"),
    ("韭菜", "Chinese chives", "vegetables"),
    ("豇豆", "Cowpea", "vegetables"),
    ("黄瓜", "Cucumber", "vegetables"),
    ("番茄", "Tomato", "vegetables"),
    ("生菜", "Lettuce", "vegetables"),
    ("油麦菜", "Indian lettuce", "vegetables"),
    ("猪肉", "Pork", "meat"),
    ("牛肉", "Beef", "meat"),
    ("羊肉", "Mutton", "meat"),
    ("猪肝", "Pork liver", "meat"),
    ("草鱼", "Grass carp", "aquatic"),
    ("鲫鱼", "Crucian carp", "aquatic"),
    ("鲢鱼", "Silver carp", "aquatic"),
    ("虾", "Shrimp", "aquatic"),
    ("鱿鱼", "Squid", "aquatic"),
    ("豆芽", "Bean sprouts", "other"),
    ("干辣椒", "Dried chilli", "other"),
    ("银耳", "White fungus", "other"),
)

ITEMS = (
    # name, name_en, category, method, direction, threshold, unit
    (
        "有机磷和氨基甲酸酯类农药残留",
        "Organophosphate and carbamate pesticide residues",
        "vegetables",
        "GB/T 5009.199-2003",
        "lt",
        50.0,
        "%",
    ),
    ("克伦特罗", "Clenbuterol", "meat", "胶体金免疫层析法 (KJ)", "negative", None, ""),
    ("莱克多巴胺", "Ractopamine", "meat", "胶体金免疫层析法 (KJ)", "negative", None, ""),
    ("沙丁胺醇", "Salbutamol", "meat", "胶体金免疫层析法 (KJ)", "negative", None, ""),
    ("孔雀石绿", "Malachite green", "aquatic", "胶体金免疫层析法 (KJ)", "negative", None, ""),
    ("氯霉素", "Chloramphenicol", "aquatic", "胶体金免疫层析法 (KJ)", "negative", None, ""),
    ("甲醛", "Formaldehyde", "aquatic", "比色法 (KJ)", "negative", None, ""),
    ("二氧化硫", "Sulphur dioxide", "other", "比色法 (KJ)", "negative", None, ""),
)

TEMPLATES = (
    (
        "rapidtest_case_opened",
        "A rapid test failed: a follow-up case was opened",
        "快检不合格: {{ market }} {{ product }}",
        "{{ market }} 的 {{ product }} 检测项目 {{ item }} 快检不合格。请扣留或下架该批货物, 送实验室确证, 追溯供货商, 并于 {{ due }} 前完成处置。",
        "Rapid test failed: {{ product }} at {{ market }}",
        "{{ product }} at {{ market }} failed the rapid test for {{ item }}. Hold or take the batch off sale, send a sample to a laboratory for confirmation, trace the supplier, and dispose of it by {{ due }}.",
    ),
)


def forwards(apps, schema_editor):
    Product = apps.get_model("rapidtest", "Product")
    TestItem = apps.get_model("rapidtest", "TestItem")
    MessageTemplate = apps.get_model("core", "MessageTemplate")
    for name, name_en, category in PRODUCTS:
        Product.objects.get_or_create(name=name, defaults={"name_en": name_en, "category": category})
    for name, name_en, category, method, direction, threshold, unit in ITEMS:
        TestItem.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "category": category,
                "method_code": method,
                "direction": direction,
                "threshold": threshold,
                "unit": unit,
            },
        )
    for code, description, subject_zh, body_zh, subject_en, body_en in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            code=code,
            defaults={
                "description": description,
                "subject_zh": subject_zh,
                "body_zh": body_zh,
                "subject_en": subject_en,
                "body_en": body_en,
                "channels": [],
            },
        )


def backwards(apps, schema_editor):
    apps.get_model("core", "MessageTemplate").objects.filter(
        code__in=[t[0] for t in TEMPLATES]
    ).delete()
    apps.get_model("rapidtest", "TestItem").objects.filter(name__in=[i[0] for i in ITEMS]).delete()
    apps.get_model("rapidtest", "Product").objects.filter(name__in=[p[0] for p in PRODUCTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("rapidtest", "0001_initial"), ("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
