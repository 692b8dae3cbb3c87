"""The demo cast: twenty borrowers, each with what is special about them, and two staff members."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from api.models import EarlyMode, StaffRole


@dataclass(frozen=True)
class DemoLoan:
    """A loan whose first payment is fixed (`started`) or `months_ago` months before the reference month.

    `unpaid_last`: how many of the latest installments due are left unpaid; `holiday_from` and `early_at`: the
    0-based installment on whose due date the holiday starts or the early repayment is made.
    """

    suffix: str
    contract_number: str
    principal: Decimal
    rate_percent: Decimal
    term_months: int
    payment_day: int
    address: str
    months_ago: int = 0
    started: date | None = None
    unpaid_last: int = 0
    closed: bool = False
    holiday_from: int | None = None
    holiday_months: int = 3
    early_at: int | None = None
    early_amount: Decimal = Decimal(0)
    early_mode: EarlyMode = EarlyMode.SHORTER_TERM
    life_cover: bool = False
    policy_expires_in_days: int | None = None


@dataclass(frozen=True)
class DemoBorrower:
    number: int
    last_name: str
    first_name: str
    middle_name: str
    phone: str
    birth_date: date
    loans: tuple[DemoLoan, ...]
    note: str = "pays on time"
    language: str = "ru"
    time_zone: str = "Europe/Moscow"

    @property
    def external_id(self) -> str:
        return f"DEMO-B-{self.number:02d}"

    @property
    def short_name(self) -> str:
        return f"{self.first_name} {self.last_name[0]}."


@dataclass(frozen=True)
class DemoStaff:
    """A demo member: API token, and the console's password and TOTP secret (known, so the demo can sign in)."""

    name: str
    role: StaffRole
    token: str
    password: str
    totp_secret: str


def _loan(suffix: str, number: str, principal: int, rate: str, term: int, day: int, address: str, **kw) -> DemoLoan:
    return DemoLoan(suffix, number, Decimal(principal), Decimal(rate), term, day, address, **kw)


MOSCOW = "г. Москва"

# A table reads best one borrower to a few lines.
# fmt: off
SEED_LOAN = _loan("01", "ИК-2021/000457", 4_000_000, "12.5", 180, 10, f"{MOSCOW}, ул. Примерная, д. 1, кв. 1",
                  started=date(2021, 4, 10), life_cover=True)

CAST = (
    DemoBorrower(1, "Иванов", "Иван", "Петрович", "+79161234567", date(1985, 4, 12), (SEED_LOAN,),
                 note="the seed's loan: 4,000,000 RUB at 12.5% for 15 years, paid on time"),
    DemoBorrower(2, "Петрова", "Анна", "Сергеевна", "+79160000002", date(1979, 9, 23), (
        _loan("02", "ИК-002318", 3_200_000, "9.6", 240, 15, f"{MOSCOW}, ул. Профсоюзная, д. 45, кв. 112",
              months_ago=30, unpaid_last=2),
    ), note="in arrears: the last 2 installments are unpaid"),
    DemoBorrower(3, "Смирнов", "Алексей", "Викторович", "+79160000003", date(1970, 1, 30), (
        _loan("03", "ИК-001142", 1_200_000, "11.9", 60, 20, "г. Химки, ул. Лавочкина, д. 8, кв. 30",
              months_ago=74, closed=True),
    ), note="closed loan, repaid in full"),
    DemoBorrower(4, "Кузнецова", "Мария", "Игоревна", "+79160000004", date(1988, 6, 5), (
        _loan("04", "ИК-003561", 5_500_000, "8.4", 240, 5, f"{MOSCOW}, Ленинский пр-т, д. 90, кв. 14",
              months_ago=26, life_cover=True),
        _loan("04-2", "ИК-004870", 1_800_000, "10.5", 120, 20, "Московская обл., г. Истра, ул. Лесная, д. 3",
              months_ago=9),
    ), note="two loans"),
    DemoBorrower(5, "Попов", "Дмитрий", "Андреевич", "+79160000005", date(1983, 11, 17), (
        _loan("05", "ИК-002905", 2_700_000, "11.2", 180, 25, f"{MOSCOW}, ул. Бутлерова, д. 12, кв. 77",
              months_ago=40, policy_expires_in_days=20),
    ), note="property insurance expires in 20 days"),
    DemoBorrower(6, "Васильева", "Елена", "Николаевна", "+79160000006", date(1990, 3, 8), (
        _loan("06", "ИК-002674", 3_000_000, "10.1", 180, 12, f"{MOSCOW}, ул. Народного Ополчения, д. 5, кв. 9",
              months_ago=36, holiday_from=20),
    ), note="a 3-month payment holiday, approved and taken"),
    DemoBorrower(7, "Соколов", "Андрей", "Михайлович", "+79160000007", date(1981, 7, 14), (
        _loan("07", "ИК-001983", 6_000_000, "9.0", 240, 3, f"{MOSCOW}, Мичуринский пр-т, д. 31, кв. 250",
              months_ago=48, early_at=36, early_amount=Decimal(800_000)),
    ), note="early repayment of 800,000 RUB a year ago (shorter term)"),
    DemoBorrower(8, "Михайлова", "Ольга", "Павловна", "+79160000008", date(1992, 12, 1), (
        _loan("08", "ИК-005012", 2_400_000, "7.9", 300, 28, f"{MOSCOW}, ул. Вилиса Лациса, д. 2, кв. 41",
              months_ago=18, life_cover=True),
    ), note="speaks English", language="en"),
    DemoBorrower(9, "Новиков", "Сергей", "Олегович", "+79160000009", date(1975, 5, 19), (
        _loan("09", "ИК-001776", 3_500_000, "10.8", 180, 10, "г. Екатеринбург, ул. Малышева, д. 51, кв. 18",
              months_ago=50),
    ), note="lives in Yekaterinburg (UTC+5)", time_zone="Asia/Yekaterinburg"),
    DemoBorrower(10, "Фёдорова", "Татьяна", "Александровна", "+79160000010", date(1986, 2, 27), (
        _loan("10", "ИК-004123", 4_200_000, "8.9", 240, 18, f"{MOSCOW}, ул. Генерала Белова, д. 19, кв. 63",
              months_ago=22),
    )),
    DemoBorrower(11, "Морозов", "Павел", "Евгеньевич", "+79160000011", date(1969, 10, 10), (
        _loan("11", "ИК-001390", 1_900_000, "12.0", 120, 7, "г. Владивосток, ул. Светланская, д. 88, кв. 5",
              months_ago=60),
    ), note="lives in Vladivostok (UTC+10)", time_zone="Asia/Vladivostok"),
    DemoBorrower(12, "Волкова", "Наталья", "Дмитриевна", "+79160000012", date(1994, 8, 16), (
        _loan("12", "ИК-005348", 5_000_000, "6.0", 360, 1, f"{MOSCOW}, ул. Каховка, д. 27, кв. 101",
              months_ago=12, life_cover=True),
    ), note="family mortgage at 6%, speaks English", language="en"),
    DemoBorrower(13, "Алексеев", "Михаил", "Юрьевич", "+79160000013", date(1980, 4, 4), (
        _loan("13", "ИК-002541", 2_100_000, "11.5", 144, 21, "г. Новосибирск, Красный пр-т, д. 65, кв. 12",
              months_ago=30),
    ), note="lives in Novosibirsk (UTC+7)", time_zone="Asia/Novosibirsk"),
    DemoBorrower(14, "Лебедева", "Светлана", "Витальевна", "+79160000014", date(1987, 1, 22), (
        _loan("14", "ИК-003219", 3_800_000, "9.9", 240, 9, f"{MOSCOW}, ул. Первомайская, д. 110, кв. 8",
              months_ago=34),
    )),
    DemoBorrower(15, "Семёнов", "Николай", "Иванович", "+79160000015", date(1973, 3, 31), (
        _loan("15", "ИК-001655", 2_500_000, "10.4", 180, 31, f"{MOSCOW}, ул. Верхняя Красносельская, д. 3, кв. 20",
              months_ago=70),
    ), note="pays on the 31st (the last day of shorter months)"),
    DemoBorrower(16, "Егорова", "Ксения", "Романовна", "+79160000016", date(1996, 11, 11), (
        _loan("16", "ИК-005907", 3_100_000, "7.4", 300, 14, f"{MOSCOW}, ул. Мосфильмовская, д. 70, кв. 305",
              months_ago=6),
    ), note="a new loan, speaks English", language="en"),
    DemoBorrower(17, "Павлов", "Виктор", "Сергеевич", "+79160000017", date(1978, 6, 26), (
        _loan("17", "ИК-002087", 4_600_000, "11.0", 240, 16, f"{MOSCOW}, ул. Остоженка, д. 7, кв. 4",
              months_ago=44, life_cover=True),
    )),
    DemoBorrower(18, "Козлова", "Ирина", "Алексеевна", "+79160000018", date(1984, 9, 9), (
        _loan("18", "ИК-003842", 2_900_000, "9.3", 180, 27, "г. Подольск, ул. Кирова, д. 14, кв. 56",
              months_ago=27),
    )),
    DemoBorrower(19, "Степанов", "Артём", "Константинович", "+79160000019", date(1991, 2, 14), (
        _loan("19", "ИК-004666", 3_400_000, "8.6", 240, 4, f"{MOSCOW}, ул. Академика Королёва, д. 9, кв. 71",
              months_ago=15),
    )),
    DemoBorrower(20, "Николаева", "Валентина", "Фёдоровна", "+79160000020", date(1965, 12, 19), (
        _loan("20", "ИК-000931", 1_500_000, "12.9", 120, 11, f"{MOSCOW}, ул. Новослободская, д. 36, кв. 2",
              months_ago=112),
    ), note="near the end of the loan"),
)
# fmt: on

STAFF = (
    DemoStaff(
        "Демо-оператор",
        StaffRole.OPERATOR,
        "demo-operator-token",
        "demo-operator-password",
        "DEMOOPERATOR2345DEMOOPERATOR2345",
    ),
    DemoStaff(
        "Демо-супервайзер",
        StaffRole.SUPERVISOR,
        "demo-supervisor-token",
        "demo-supervisor-password",
        "DEMOSUPERVISOR23DEMOSUPERVISOR23",
    ),
)
