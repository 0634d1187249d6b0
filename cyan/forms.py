from django.forms.renderers import TemplatesSetting


class CyanFormRenderer(TemplatesSetting):
    """Every form renders with the same field markup: label, input, help, errors at the field."""

    form_template_name = "includes/form.html"
