package com.leadsync.delivery;

/** What the receiving side answered to a successful send, for the attempt log. */
public record DeliveryReceipt(int httpStatus, String detail) {
}
