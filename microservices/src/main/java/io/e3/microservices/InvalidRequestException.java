package io.e3.microservices;

/** A request a microservice cannot serve, with what is wrong and where ("key: required string is missing"). */
public class InvalidRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }
}
