package credit.exchange.routes.identifier;

/** The kinds of Chinese identifier the gateway can check. */
public enum IdentifierKind {
    /** 统一社会信用代码, unified social credit code, GB 32100-2015. */
    USCC,
    /** 居民身份证号码, resident identity card number, GB 11643-1999. */
    RESIDENT_ID,
    /** 组织机构代码, organisation code, GB 11714-1997. */
    ORGANIZATION_CODE,
    /** 工商注册号, the old 15-digit business registration number (GB/T 17347 / SAIC rule). */
    REGISTRATION_NUMBER,
    /** The shape matched none of the above. */
    UNKNOWN
}
