"""API tokens, one per device or script (django-rest-knox, stored hashed, expiring): get one with a password, list
and revoke your own. Every password check goes through django.contrib.auth.authenticate(), which django-axes watches:
after too many wrong passwords the account is locked here as on the sign-in pages."""

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from surveys import access, accounts
from surveys.lockout import locked_api_response
from surveys.models import DeviceToken

LOCKED_429 = OpenApiResponse(
    inline_serializer("AccountLocked", {
        "detail": serializers.CharField(help_text="What happened and what to do, in the request's language."),
        "code": serializers.CharField(help_text="`account_locked`."),
    }),
    description="Too many wrong passwords: the account is locked (`code`: "
    "`account_locked`) until the cool-off passes or an administrator unlocks it; or too many requests from this "
    "address (wait the seconds in `Retry-After`).")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="Your sign-in name.")
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"},
                                     help_text="Your password.")
    device = serializers.CharField(required=False, allow_blank=True, max_length=100, default="",
                                   help_text="A name for the device or script that will hold the token, to "
                                   "recognise it in your list of tokens (e.g. \"Tablet 3\", \"IMSMA sync\").")


class DeviceTokenSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Revoke the token with DELETE /api/v1/auth/tokens/{id}/.")
    device = serializers.CharField(source="device_name", read_only=True,
                                   help_text="The name given when the token was made.")
    created = serializers.DateTimeField(read_only=True, help_text="When the token was made.")
    expiry = serializers.DateTimeField(read_only=True, allow_null=True,
                                       help_text="After this the token no longer signs in.")
    starts_with = serializers.SerializerMethodField(help_text="The token's first characters, to recognise it.")
    current = serializers.SerializerMethodField(help_text="True for the token this request was signed with.")

    class Meta:
        model = DeviceToken
        fields = ["id", "device", "starts_with", "created", "expiry", "current"]
        read_only_fields = fields

    def get_starts_with(self, obj: DeviceToken) -> str:
        return obj.token_key[:8]

    def get_current(self, obj: DeviceToken) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, DeviceToken) and auth.pk == obj.pk


class NewTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as the header Authorization: Token <token>. Shown only now.")
    id = serializers.IntegerField(help_text="Its id in GET /api/v1/auth/tokens/, to revoke it.")
    device = serializers.CharField(help_text="The name given for the device.")
    expiry = serializers.DateTimeField(allow_null=True, help_text="After this the token no longer signs in.")


class TokenView(APIView):
    """Exchange a username and password for a new token for one device; it expires (see `expiry`)."""

    # No session here: a browser signed in elsewhere must not need a CSRF token to get an API token.
    authentication_classes = []
    permission_classes = []
    # Password guessing: limited per address like every anonymous request, and per account by the lockout.
    throttle_classes = [AnonRateThrottle]

    @extend_schema(summary="Get an API token for a device", request=TokenRequestSerializer,
                   responses={201: NewTokenSerializer, 400: OpenApiResponse(description="Wrong user name or "
                              "password, or a field missing."), 429: LOCKED_429})
    def post(self, request, *args, **kwargs):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(request=request, username=form.validated_data["username"],
                            password=form.validated_data["password"])
        if getattr(request, "axes_locked_out", False):  # set by django-axes on this request
            return locked_api_response()
        if user is None:
            raise ValidationError({"non_field_errors": [_("Unable to log in with provided credentials.")]})
        token, secret = accounts.issue_token(user, form.validated_data["device"])
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response(NewTokenSerializer({"token": secret, "id": token.pk, "device": token.device_name,
                                            "expiry": token.expiry}).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Your API tokens", description="Your tokens that still sign in, newest first: "
                       "one per device or script. The secrets themselves are never shown again."),
    destroy=extend_schema(summary="Revoke one of your API tokens",
                          description="The device holding it is signed out at once. 404: not one of yours."),
)
class DeviceTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = DeviceTokenSerializer
    pagination_class = None  # a handful per person

    def get_queryset(self):
        return access.tokens_of(self.request.user).select_related("user")

    def destroy(self, request, *args, **kwargs):
        accounts.revoke_token(request.user, kwargs["pk"])
        return Response(status=status.HTTP_204_NO_CONTENT)
