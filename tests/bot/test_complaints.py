"""The complaint detector on polite and angry messages in both languages: politeness is never a complaint."""

import pytest

from dialogs.complaints import is_complaint

POLITE = {
    "ru": [
        "Подскажите, пожалуйста, когда следующий платёж?",
        "Пожалуйста, пришлите справку о процентах",
        "Скажите пожалуйста сколько осталось платить",
        "пожалуйста",
        "Будьте добры, подскажите реквизиты",
        "Спасибо большое за помощь!",
        "Здравствуйте, хочу уточнить график",
        "Можно, пожалуй, погасить досрочно 100 000?",
        "Добро пожаловать, это я, Иван",
        "Извините за беспокойство, как продлить страховку?",
        "Будьте любезны, расскажите про кредитные каникулы",
        "Не могли бы вы, пожалуйста, перезвонить мне?",
        "Пожалуйста, помогите разобраться с остатком долга",
        "Благодарю, всё понятно",
        "Подскажите пожалуйста, нужна ли судебная справка для каникул",
        "Хорошего дня!",
    ],
    "en": [
        "Could you please tell me when the next payment is?",
        "Please send me the interest certificate",
        "please",
        "Thank you so much for your help!",
        "Hello, I would like to check my schedule",
        "Would you kindly tell me the bank details?",
        "Sorry to bother you, how do I renew my insurance?",
        "Can I repay 100,000 early, please?",
        "I would appreciate a call back, please",
        "Thanks, that is clear",
        "Please help me understand my balance",
        "Could you tell me about payment holidays?",
        "Have a nice day!",
        "I wonder whether my policy is still valid",
        "Kindly let me know the outstanding amount",
        "Is it possible to change the payment date, please?",
    ],
}

ANGRY = {
    "ru": [
        "Это безобразие, хочу подать жалобу!",
        "Я пожалуюсь в Роспотребнадзор",
        "Хочу пожаловаться на вашего сотрудника",
        "У меня претензия к банку",
        "Возмутительно! Деньги списали дважды",
        "Я очень недоволен обслуживанием",
        "Ужасный сервис",
        "Вы меня обманули с процентами",
        "Это мошенничество",
        "Ваши операторы хамят",
        "Подам на вас в суд",
        "Напишу в прокуратуру",
        "Вы издеваетесь? Третий раз пишу",
        "Это просто беспредел",
        "Позор вашему банку",
        "Мне надоело ждать ответа",
        "Отвратительное отношение к клиентам",
    ],
    "en": [
        "This is outrageous, I complain",
        "I want to file a complaint",
        "Terrible service",
        "This is awful",
        "I am disgusted by how I was treated",
        "This is unacceptable",
        "You are running a scam",
        "This is fraud",
        "I will talk to my lawyer",
        "I am going to sue the bank",
        "This is ridiculous, third time I ask",
        "Appalling customer care",
        "Your staff are incompetent",
        "What a rip-off",
        "I am fed up with waiting",
        "I am furious about the double charge",
        "The worst bank ever",
    ],
}


@pytest.mark.parametrize("language", ["ru", "en"])
def test_lists_are_long_enough(language):
    assert len(POLITE[language]) >= 15
    assert len(ANGRY[language]) >= 15


@pytest.mark.parametrize("words", POLITE["ru"] + POLITE["en"])
def test_politeness_is_not_a_complaint(words):
    assert not is_complaint(words)


@pytest.mark.parametrize("words", ANGRY["ru"] + ANGRY["en"])
def test_angry_words_are_a_complaint(words):
    assert is_complaint(words)


@pytest.mark.parametrize("blank", [None, "", "   ", "\x00", "👍"])
def test_nothing_to_read_is_not_a_complaint(blank):
    assert not is_complaint(blank)
