"""The admin index's link to the map of the review queue, for those the map is for (access.can_review)."""

from django import template

from surveys import access

register = template.Library()


@register.filter
def reviews(user) -> bool:
    return access.can_review(user)
