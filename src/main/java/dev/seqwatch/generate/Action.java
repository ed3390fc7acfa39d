package dev.seqwatch.generate;

/** The actions a generated log contains, with their names as written to {@code events.csv}. */
public enum Action {
    LOGIN("login"),
    LOGIN_NEW_DEVICE("login_new_device"),
    SEARCH("search"),
    VIEW("view"),
    FAVORITE("favorite"),
    CART("cart"),
    REMOVE_CART("remove_cart"),
    COUPON("coupon"),
    BUY("buy"),
    PAY("pay"),
    PASSWORD_CHANGE("password_change"),
    ADDRESS_CHANGE("address_change");

    private static final Action[] VALUES = values();
    private final String logName;

    Action(String logName) {
        this.logName = logName;
    }

    public String logName() {
        return logName;
    }

    static Action of(int ordinal) {
        return VALUES[ordinal];
    }
}
