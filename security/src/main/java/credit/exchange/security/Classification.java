package credit.exchange.security;

/**
 * The city plan's three classes of public credit information; the class of a record decides
 * who may read it (see {@link credit.exchange.security.access.AccessPolicy}).
 */
public enum Classification {
    /** 社会公开 public: any authenticated partner or user. */
    A,
    /** 授权查询 authorised query: only with a valid authorisation from the data subject. */
    B,
    /** 部门共享 department-shared: only government departments under a sharing agreement. */
    C
}
