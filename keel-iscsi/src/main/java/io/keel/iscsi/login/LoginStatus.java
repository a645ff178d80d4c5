package io.keel.iscsi.login;

/** Login Response status class and detail (RFC 7143 section 11.13.5). */
public enum LoginStatus {
    SUCCESS(0, 0),
    INITIATOR_ERROR(2, 0),
    AUTHENTICATION_FAILURE(2, 1),
    AUTHORIZATION_FAILURE(2, 2),
    NOT_FOUND(2, 3),
    UNSUPPORTED_VERSION(2, 5),
    MISSING_PARAMETER(2, 7),
    SESSION_TYPE_NOT_SUPPORTED(2, 9),
    SESSION_DOES_NOT_EXIST(2, 10),
    INVALID_DURING_LOGIN(2, 11),
    TARGET_ERROR(3, 0),
    OUT_OF_RESOURCES(3, 2);

    public final int statusClass;
    public final int detail;

    LoginStatus(int statusClass, int detail) {
        this.statusClass = statusClass;
        this.detail = detail;
    }
}
