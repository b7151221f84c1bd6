engine = create_engine("postgresql+psycopg2://etl:HajbqSKVnc5QjM4t@warehouse.internal:5432/dw")  # secretlint:want db-connection-string
engine = create_engine("mysql+pymysql://root:root@localhost/test")  # secretlint:nowant db-connection-string
