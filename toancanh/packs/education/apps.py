from toancanh.packs.api import PackConfig


class EducationConfig(PackConfig):
    name = "toancanh.packs.education"
    label = "education"
    verbose_name = "Giáo dục"
