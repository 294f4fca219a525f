from wordofmouth.errors import InvalidInput, NotFound
from wordofmouth.i18n import N_


class EndpointNotFound(NotFound):
    code = "webhook_endpoint_not_found"
    message = N_("No such webhook endpoint.")


class DeliveryNotFound(NotFound):
    code = "webhook_delivery_not_found"
    message = N_("The endpoint has no such delivery.")


class UnknownEvent(InvalidInput):
    code = "unknown_webhook_event"
    message = N_("Name events from the list, or * for all of them.")


class BadEndpointUrl(InvalidInput):
    code = "bad_webhook_url"
    message = N_("A webhook address starts with https:// (or http:// on this machine).")
